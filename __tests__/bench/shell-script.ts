/** A generated shell script of `lines` lines: exports, if/else, `&&`/`||` chains, case arms, substitutions. */
export function generatedScript(lines: number): string {
  const out: string[] = ['#!/bin/bash', 'set -euo pipefail'];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `export VAR_${i}="value ${i}"`,
      `if [ "\${MODE_${i}:-prod}" = production ]; then`,
      `  python manage.py migrate --noinput && echo "done $i" || exit 1`,
      `else`,
      `  exec gunicorn proj.wsgi:application --bind 0.0.0.0:\${PORT:-8000} --workers 3 # ${i}`,
      `fi`,
      `case "$1" in web) run_web "$@" ;; *) echo "$(date) unknown" | tee -a /tmp/log ;; esac`,
    );
  }
  return out.slice(0, lines).join('\n') + '\n';
}
