import type { z } from 'zod';

/** Formats zod issues as `path.to.field: message`, one per line, so a bad field is named. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`).join('\n');
}
