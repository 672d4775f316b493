import { ConfigError, loadConfig } from './config/config.js';
import { createServer } from './server.js';

/** Entry point of `npm start`: read config once, start, and stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const server = createServer(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.logger.info('shutting down', { signal });
    server.stop().then(
      () => process.exit(0),
      (error) => {
        server.logger.error('shutdown failed', { message: (error as Error).message });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
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
