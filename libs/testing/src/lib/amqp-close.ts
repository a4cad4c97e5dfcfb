import { once } from 'node:events';
import type { Duplex } from 'node:stream';
import type { ChannelModel } from 'amqplib';

/** The socket under an amqplib connection (its types do not name it; it is `connection.stream`). */
export function amqpSocket(connection: ChannelModel): Duplex {
  return (connection.connection as unknown as { stream: Duplex }).stream;
}

/**
 * Closes a test's amqplib connection and resolves once its socket is closed. amqplib's close
 * resolves at the broker's close-ok and only half-closes the socket: until the broker's FIN the
 * handle keeps the process alive, so a clean-up in a test file that runs last can hold jest past
 * its last test ("did not exit one second after the test run has completed").
 */
export async function closeAmqp(connection: ChannelModel): Promise<void> {
  await connection.close().catch(() => undefined);
  await closeSocket(amqpSocket(connection));
}

/** Destroys the socket and waits for its handle to close. */
export async function closeSocket(socket: Duplex): Promise<void> {
  if (socket.closed) return;
  const closed = once(socket, 'close');
  socket.destroy();
  await closed;
}
