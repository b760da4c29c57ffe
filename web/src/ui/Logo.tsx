export function Logo({ className = "size-8" }: { className?: string }) {
  return (
    <svg viewBox="0 0 64 64" className={className} aria-hidden="true">
      <defs>
        <linearGradient id="sw-logo" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#7dd3fc" />
          <stop offset="1" stopColor="#a78bfa" />
        </linearGradient>
      </defs>
      <circle cx="26" cy="32" r="14" fill="none" stroke="url(#sw-logo)" strokeWidth="5" />
      <circle cx="38" cy="32" r="14" fill="none" stroke="url(#sw-logo)" strokeWidth="5" opacity=".7" />
      <path d="M28 25l10 7-10 7z" fill="#e0f2fe" />
    </svg>
  );
}
