export function App() {
  return (
    <main class="app">
      <h1>Peerline</h1>
      <p>End-to-end encrypted messages, browser to browser. Your public key is your address.</p>
    </main>
  );
}
