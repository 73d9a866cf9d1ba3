/**
 * Hosts one embedded engine for a benchmark running in another process, so that the driver's
 * event loop and the engine's do not share one core (as with `npm start`, where the engine has
 * its own thread). Prints `READY <uri>`; closes the engine on SIGTERM or when stdin closes
 * (so it never outlives a benchmark that crashed).
 */
import { startEmbeddedMongo } from '../../plugins/embedded-mongo/index.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: engine-host.ts <dataDir>');
const engine = await startEmbeddedMongo({ dataDir, port: 0 });
process.stdout.write(`READY ${engine.uri}\n`);

let isClosing = false;
async function shutdown(): Promise<void> {
  if (isClosing) return;
  isClosing = true;
  await engine.close();
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown());
process.stdin.on('end', () => void shutdown());
process.stdin.resume();
