import { Show } from 'solid-js';
import { markdownRenderer } from '../markdown/lazy.ts';

/** Message text with safe markdown; see markdown/render.ts for what is allowed. */
export function MarkdownText(props: { text: string }) {
  return (
    <Show when={markdownRenderer()} fallback={<p class="plain">{props.text}</p>}>
      {(render) => <div class="md" innerHTML={render()(props.text)} />}
    </Show>
  );
}
