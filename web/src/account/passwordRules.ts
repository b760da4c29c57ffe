/** The new-password rule of CONTRACT.md §1 (at least 8 characters), typed twice. Pure. */
export function newPasswordProblem(password: string, again: string): string | null {
  if (password.length < 8) return "Use at least 8 characters.";
  if (password.length > 1024) return "Use at most 1024 characters.";
  if (password !== again) return "The two new passwords differ.";
  return null;
}
