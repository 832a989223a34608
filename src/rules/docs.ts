/** Where rule pages live, for links in the summary, SARIF helpUri and `--explain`. */
export const REPO_URL = 'https://github.com/django-deploy-lint/django-deploy-lint';
export const DOCS_BASE = `${REPO_URL}/blob/main/docs/rules/`;

export function ruleDocUrl(id: string): string {
  return `${DOCS_BASE}${id}.md`;
}
