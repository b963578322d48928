import { onMount } from 'solid-js';
import { back } from '../stores/router.ts';

/** A screen's title with a back button; focus moves to the title so screen readers announce it. */
export function ScreenHeader(props: { title: string; id: string }) {
  let heading: HTMLHeadingElement | undefined;
  onMount(() => heading?.focus({ preventScroll: true }));
  return (
    <div class="screen-head">
      <button type="button" class="icon-btn" onClick={back} aria-label="Back">
        <span aria-hidden="true">←</span>
      </button>
      <h2 id={props.id} tabindex="-1" ref={heading}>
        {props.title}
      </h2>
    </div>
  );
}
