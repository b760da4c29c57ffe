/** The registration rules of CONTRACT.md §1, checked before the request is sent. Pure. */

export interface Registration {
  email: string;
  username: string;
  password: string;
}

const USERNAME = /^[A-Za-z0-9_]{3,32}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validateRegistration({ email, username, password }: Registration): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!EMAIL.test(email.trim())) errors.email = "Enter a valid email address.";
  if (!USERNAME.test(username.trim())) errors.username = "Use 3–32 letters, digits or underscores.";
  if (password.length < 8) errors.password = "Use at least 8 characters.";
  return errors;
}
