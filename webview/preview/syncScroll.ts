/**
 * Keeps scroll containers at the same relative position: scrolling one moves the others proportionally
 * (EN and AR prompts differ in length). The scroll it causes on the others is ignored, so there is no loop.
 */
export class SyncScroll {
  private readonly ignore = new WeakSet<Element>();
  enabled = true;

  constructor(private readonly onScrolled: (source: HTMLElement) => void) {}

  attach(el: HTMLElement, peers: () => HTMLElement[]): void {
    el.addEventListener('scroll', () => {
      if (this.ignore.has(el)) {
        this.ignore.delete(el);
        return;
      }
      this.onScrolled(el);
      if (!this.enabled) return;
      const ratio = el.scrollTop / Math.max(1, el.scrollHeight - el.clientHeight);
      for (const other of peers()) {
        if (other === el || other.offsetParent === null) continue; // hidden pane
        const target = Math.round(ratio * Math.max(0, other.scrollHeight - other.clientHeight));
        if (Math.abs(other.scrollTop - target) > 1) {
          this.ignore.add(other);
          other.scrollTop = target;
        }
      }
    }, { passive: true });
  }
}
