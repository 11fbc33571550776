/** Whether the user asked the system for less motion: scrolling jumps instead of gliding, nothing animates. */
export function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
