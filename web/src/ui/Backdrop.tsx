/** The slowly drifting colour field the glass panels float over (decorative). */
export function Backdrop() {
  return (
    <div aria-hidden="true" className="pointer-events-none fixed inset-0 -z-10 overflow-hidden">
      <div className="aurora absolute -left-32 -top-32 size-[36rem] rounded-full bg-sky-400/20 blur-3xl" />
      <div className="aurora absolute -right-40 top-24 size-[32rem] rounded-full bg-violet-400/20 blur-3xl [animation-delay:-8s]" />
      <div className="aurora absolute -bottom-40 left-1/3 size-[30rem] rounded-full bg-teal-300/15 blur-3xl [animation-delay:-16s]" />
    </div>
  );
}
