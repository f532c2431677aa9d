/** What the Dockerfile's production stage takes from the build context (read by the layout and bundle tests). */

/** The sources of the production stage's `COPY <src>... <dest>` lines that copy from the build context. */
export function imageSources(dockerfile: string): string[] {
  const stage = dockerfile.split(/^FROM .* AS production$/m)[1] ?? '';
  return [...stage.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => {
    const parts = m[1]!.trim().split(/\s+/);
    return parts.slice(0, -1).map((p) => p.replace(/\/$/, ''));
  });
}
