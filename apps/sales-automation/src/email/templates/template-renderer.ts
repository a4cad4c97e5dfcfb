import { Injectable } from '@nestjs/common';
import type { ContractIssue } from '@crm/contracts';
import { convert } from 'html-to-text';
import { Liquid, type Template } from 'liquidjs';

/** What a template reads: the contact, its company, the deal or order it is about, the sender, the unsubscribe link. */
export type TemplateVariables = Record<string, unknown>;

export interface TemplateSource {
  id: string;
  version: number;
  subject: string;
  html: string;
  text: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

interface Compiled {
  subject: Template[];
  html: Template[];
  text: Template[] | null;
}

/** Compiled templates kept per (id, version): a version never changes, so no invalidation is needed. */
const CACHE_LIMIT = 500;

/**
 * Liquid (liquidjs): the HTML body escapes every output (a contact named `<script>` stays text),
 * the subject and the text part do not (they are not HTML). Unknown filters fail at parse time,
 * so a template that saves renders; a missing variable renders empty.
 */
@Injectable()
export class TemplateRenderer {
  private readonly htmlEngine = new Liquid({ outputEscape: 'escape', strictFilters: true, cache: false });
  private readonly plainEngine = new Liquid({ strictFilters: true, cache: false });
  private readonly compiled = new Map<string, Compiled>();

  /** The parse errors of a template's parts, each naming its field (`html`, `subject`, `text`). */
  problems(parts: { subject?: string; html?: string; text?: string | null }, prefix = ''): ContractIssue[] {
    const issues: ContractIssue[] = [];
    for (const [field, source] of Object.entries(parts)) {
      if (typeof source !== 'string') continue;
      try {
        (field === 'html' ? this.htmlEngine : this.plainEngine).parse(source);
      } catch (error) {
        issues.push({ path: `${prefix}${field}`, message: `is not a valid Liquid template: ${(error as Error).message.split('\n')[0]}` });
      }
    }
    return issues;
  }

  async render(template: TemplateSource, variables: TemplateVariables): Promise<RenderedEmail> {
    const compiled = this.compile(template);
    const html = await this.htmlEngine.render(compiled.html, variables);
    const subject = (await this.plainEngine.render(compiled.subject, variables)).replace(/\s+/g, ' ').trim();
    const text = compiled.text ? await this.plainEngine.render(compiled.text, variables) : convert(html, { wordwrap: 78 });
    return { subject, html, text };
  }

  private compile(template: TemplateSource): Compiled {
    const key = `${template.id}:${template.version}`;
    let compiled = this.compiled.get(key);
    if (!compiled) {
      compiled = {
        subject: this.plainEngine.parse(template.subject),
        html: this.htmlEngine.parse(template.html),
        text: template.text === null ? null : this.plainEngine.parse(template.text),
      };
      if (this.compiled.size >= CACHE_LIMIT) this.compiled.delete(this.compiled.keys().next().value as string);
      this.compiled.set(key, compiled);
    }
    return compiled;
  }
}
