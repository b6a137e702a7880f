/**
 * The node's log: pino (Fastify's logger), one JSON line per event with the node's id and the event
 * name the rest of the code and the docs use (`sign.ok`, `verify.rejected`, ...). Events carrying an
 * `error` field are warnings, so an operator can filter on level.
 */
import { type Logger, pino } from 'pino';

export type NodeLogger = Logger;

export function createNodeLogger(operatorId: number, destination?: pino.DestinationStream): NodeLogger {
  return pino(
    { base: { node: operatorId }, timestamp: pino.stdTimeFunctions.isoTime, messageKey: 'msg' },
    // synchronous stdout: the last lines before a crash are the ones an operator needs
    destination ?? pino.destination(1),
  );
}

/** Logs `event` with its fields at info (warn when it carries an error). */
export function logEvent(logger: NodeLogger, event: string, fields: Record<string, unknown> = {}): void {
  if (fields.error !== undefined) logger.warn({ event, ...fields });
  else logger.info({ event, ...fields });
}
