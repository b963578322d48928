/** What the chat list says before there is anyone in it. */
export function EmptyContacts() {
  return (
    <div class="empty">
      <p>
        <strong>No contacts yet.</strong>
      </p>
      <p>
        To talk to someone, send them your link from the <em>My link</em> panel, or let them scan
        its QR code. When they open it, you appear in their Peerline; they then send you theirs.
      </p>
      <p>Got someone's link? Open it in this browser, or paste it with “Add contact”.</p>
    </div>
  );
}
