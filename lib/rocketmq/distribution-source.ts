// Where a RocketMQ distribution comes from (maven:<v>, a bin-release zip or its URL), and the error naming it.
import { resolve } from 'node:path';

/** The distribution cannot be built: the message says which source, what failed and what to do. */
export class DistributionError extends Error {
  readonly source: string;
  constructor(source: string, message: string) {
    super(`Cannot resolve RocketMQ distribution "${source}": ${message}`);
    this.name = 'DistributionError';
    this.source = source;
  }
}

export type DistributionSource =
  | { kind: 'maven'; version: string }
  | { kind: 'zip'; path: string; version: string }
  | { kind: 'url'; url: string; version: string };

const VERSION = /^\d+\.\d+\.\d+$/;
const ZIP_NAME = /rocketmq-all-(\d+\.\d+\.\d+)-bin-release\.zip$/;
/** Modules whose closure holds broker, name server, admin tools and client (reference §2.1). */
export const MAVEN_ARTIFACTS = [
  'rocketmq-broker',
  'rocketmq-namesrv',
  'rocketmq-tools',
  'rocketmq-client',
];

/**
 * Reads a source string.
 * @example parseSource('maven:5.5.0') // => { kind: 'maven', version: '5.5.0' }
 * @throws DistributionError for anything else than maven:<x.y.z>, an http(s) URL or a path to rocketmq-all-<v>-bin-release.zip
 */
export function parseSource(source: string): DistributionSource {
  if (source.startsWith('maven:')) {
    const version = source.slice('maven:'.length);
    if (!VERSION.test(version))
      throw new DistributionError(source, `"${version}" is not a version such as 5.5.0`);
    return { kind: 'maven', version };
  }
  const zip = ZIP_NAME.exec(source.split(/[?#]/)[0] ?? '');
  if (!zip) {
    throw new DistributionError(
      source,
      'expected maven:<version>, or a path or http(s) URL ending in rocketmq-all-<version>-bin-release.zip',
    );
  }
  const version = zip[1] as string;
  if (/^https?:\/\//.test(source)) return { kind: 'url', url: source, version };
  return { kind: 'zip', path: resolve(source), version };
}
