export default function RoomPage({ code }: { code: string }) {
  return (
    <main id="main" className="mx-auto max-w-3xl px-4 py-16">
      <div className="glass p-8">
        <h1 className="text-2xl font-bold">Room {code}</h1>
      </div>
    </main>
  );
}
