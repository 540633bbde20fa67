/**
 * Why a command could not start, as one line an operator can act on: the setting, port, file or
 * server that is wrong, never a stack. Raised where the failure is understood (a listen(), a
 * connection); the command line prints the line and exits (cli.ts).
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export interface ListenSettings {
  /** The setting that chose the address, e.g. HOST (or TCP_LISTEN). */
  host: string;
  /** The setting that chose the port, e.g. PORT (or TCP_LISTEN). */
  port: string;
}

/** A failed listen() on host:port, naming the setting to change. */
export function listenFailure(error: unknown, settings: ListenSettings, host: string, port: number): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  let line: string;
  if (code === 'EADDRINUSE') line = `${settings.port}: port ${port} is already in use on ${host} (another program, or another forwarder, listens there): stop it or choose another port`;
  else if (code === 'EACCES') line = `${settings.port}: not allowed to listen on ${address} (ports below 1024 need privileges)`;
  else if (code === 'EADDRNOTAVAIL') line = `${settings.host}: ${host} is not an address of this machine`;
  else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') line = `${settings.host}: cannot resolve ${host}`;
  else line = `${settings.host === settings.port ? settings.host : `${settings.host}/${settings.port}`}: cannot listen on ${address}: ${(error as Error).message}`;
  return new StartupError(line, { cause: error });
}
