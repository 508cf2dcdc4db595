// The arguments of the hostname module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { text } from '../../shared/schema-fields.ts';

// RFC 1123 labels: letters, digits and inner hyphens, at most 63 characters each.
const VALID_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export const hostnameArgs = z
  .strictObject({
    name: text().pipe(
      z
        .string()
        .regex(VALID_NAME, { error: 'must be a host name of letters, digits, "-" and "."' })
        .meta({ description: 'the host name (RFC 1123)' }),
    ),
  })
  .meta({
    title: 'hostname',
    description: 'the running host name, /etc/hostname, and HOSTNAME= of /etc/sysconfig/network',
    idempotence:
      'running hostname + /etc/hostname + HOSTNAME= in /etc/sysconfig/network when that file exists',
  });
