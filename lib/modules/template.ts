// template: renders a Handlebars file on the controller, then is exactly copy (one idempotency path).
import type { Module } from '../shared/types.ts';
import { expectString, rejectUnknownKeys, requireKeys } from '../shared/validate.ts';
import { copyArgs, copyProbes, planCopy } from './copy.ts';
import type { CopyArgs } from './copy.ts';

const KNOWN = ['src', 'dest', 'mode', 'owner', 'group', 'compare'] as const;

/** template: `src` (in the role's templates/), `dest`, `mode` (default 0644), `owner`, `group`, `compare` (as copy). */
export const templateModule: Module<CopyArgs> = {
  name: 'template',
  validate(raw, where, ctx) {
    rejectUnknownKeys(raw, KNOWN, 'template', where);
    requireKeys(raw, ['src', 'dest'], 'template', where);
    // Rendering here means a missing variable fails before any host is touched (TemplateError from renderFile).
    const content = ctx.renderFile(expectString(raw.src, 'src', where));
    return copyArgs(raw, content, where);
  },
  probes: copyProbes,
  plan: planCopy,
};
