// The arguments of the unarchive module, declared once: parsing, the JSON Schema for editors and docs/modules.md.
import { z } from '../../shared/schema.ts';
import { absoluteFolder, text, textThat, whole } from '../../shared/schema-fields.ts';

export const unarchiveArgs = z
  .strictObject({
    src: textThat(
      (s) => /\.(tar\.gz|tgz)$/.test(s),
      'unarchive: "src" must be a .tar.gz file',
    ).meta({
      description: 'a .tar.gz on the controller (role files/, else next to the playbook)',
    }),
    dest: absoluteFolder('unarchive').meta({ description: 'the folder on the host' }),
    owner: text().optional().meta({ description: 'owner of everything extracted' }),
    strip_components: whole(0, 10).prefault(0).meta({
      description: 'leading path components dropped from every member',
    }),
    checksum: textThat(
      (c) => /^[0-9a-f]{64}$/.test(c),
      'unarchive: "checksum" must be a sha256 in hex',
    )
      .optional()
      .meta({ description: 'sha256 of src, when known (else computed on the controller)' }),
  })
  .meta({
    title: 'unarchive',
    description:
      'puts a controller-side .tar.gz into a folder on the host, once per archive checksum',
    idempotence:
      'sha256 of the archive recorded in `dest/.rocketmq-deploy-archive`; pushed only when it differs',
  });
