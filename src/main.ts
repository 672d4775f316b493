import { type Config, ConfigError, loadConfig } from './config/config.js';
import { createServer } from './server.js';

/** Entry point of `npm start`: read config once, start, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  let stopping = false;
  const shutdown = (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    server.logger.info('shutting down', { reason });
    server.stop().then(
      () => process.exit(exitCode),
      (error) => {
        server.logger.error('shutdown failed', { message: (error as Error).message });
        process.exit(1);
      },
    );
  };
  // An instance that cannot heal exits non-zero, so that its process manager starts a fresh one.
  const server = createServer(config, { onFatal: (error) => shutdown(error.message, 1) });
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  process.on('unhandledRejection', (reason) => {
    server.logger.error('unhandled rejection', { message: (reason as Error)?.message, stack: (reason as Error)?.stack });
  });
  try {
    const { url } = await server.start();
    server.logger.info('ready', { url });
  } catch (error) {
    server.logger.error('start failed', { message: (error as Error).message });
    await server.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
