import { connect } from 'node:net';

/** Whether something accepts TCP connections on this local port now. */
export async function acceptsConnections(port: number, host = '127.0.0.1'): Promise<boolean> {
  const socket = connect(port, host);
  // Not events.once: it rejects on the 'error' of a refused connection.
  const result = await new Promise<boolean>((resolve) => {
    socket.once('connect', () => resolve(true));
    socket.once('error', () => resolve(false));
  });
  socket.destroy();
  return result;
}
