import { TemplateEditor } from '../../outreach/TemplateEditor.tsx';

/** Settings → Templates: the outreach template library and editor (owned by Outreach). */
export function TemplatesSection() {
  return <TemplateEditor />;
}
