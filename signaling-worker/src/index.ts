// Placeholder signaling Worker: health only, until the signaling issue lands.
export default {
  fetch(request: Request): Response {
    const url = new URL(request.url);
    if (url.pathname === '/health') return Response.json({ ok: true });
    return new Response('not found', { status: 404 });
  },
};
