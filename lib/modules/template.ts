// template: renders a Handlebars file on the controller, then is exactly copy (one idempotency path).
import type { Module } from '../shared/types.ts';
import { parseArgs } from '../shared/schema.ts';
import { templateArgs } from './args/copy-args.ts';
import { copyProbes, copyTarget, planCopy } from './copy.ts';
import type { CopyArgs } from './copy.ts';

/** template: `src` (in the role's templates/), `dest`, `mode` (default 0644), `owner`, `group`, `compare` (as copy). */
export const templateModule: Module<CopyArgs> = {
  name: 'template',
  validate(raw, where, ctx) {
    const parsed = parseArgs(templateArgs, raw, 'template', where);
    // Rendering here means a missing variable fails before any host is touched (TemplateError from renderFile).
    return copyTarget(parsed, ctx.renderFile(parsed.src));
  },
  probes: copyProbes,
  plan: planCopy,
};
