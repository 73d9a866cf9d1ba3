/**
 * Serving the app over HTTP, and stopping gracefully: stop accepting, let
 * in-flight requests finish (up to a grace period), then close what is left.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RelataApp } from './app.ts';

export interface HttpServer {
  port: number;
  /** resolves once every connection is closed */
  close(graceMs: number): Promise<void>;
}

export function startHttpServer(options: { app: RelataApp; port: number; host: string }): Promise<HttpServer> {
  return new Promise((resolve, reject) => {
    let server: ServerType;
    const onError = (error: Error) => reject(error);
    server = serve({ fetch: options.app.fetch, port: options.port, hostname: options.host }, (info: AddressInfo) => {
      server.off('error', onError);
      resolve({ port: info.port, close: (graceMs) => closeGracefully(server as Server, graceMs) });
    });
    server.once('error', onError);
  });
}

function closeGracefully(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const forceTimer = setTimeout(() => server.closeAllConnections(), graceMs);
    forceTimer.unref();
    server.close(() => {
      clearTimeout(forceTimer);
      resolve();
    });
    // Keep-alive sockets with no request in flight would hold close() open.
    server.closeIdleConnections();
  });
}
