// Checks a JSON log for what must never be in it: lines that are not pino JSON, and any of the
// given secrets, raw or in the forms a logger could turn it into (JSON-escaped, URL-encoded).
export interface LogProblem {
  /** 1-based line number in the log. */
  line: number;
  problem: string;
}

function forms(secret: string): string[] {
  return [...new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)])];
}

/** secrets: name → value; each value must be long enough not to match by chance. */
export function findLogProblems(log: string, secrets: Record<string, string>): LogProblem[] {
  for (const [name, value] of Object.entries(secrets)) {
    if (value.length < 8) throw new Error(`secret ${name} is too short to search for`);
  }
  const problems: LogProblem[] = [];
  log.split('\n').forEach((text, index) => {
    if (text === '') return;
    const line = index + 1;
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch {
      problems.push({ line, problem: 'not JSON' });
    }
    if (entry !== undefined) {
      const fields = entry as Record<string, unknown>;
      if (typeof fields['level'] !== 'number') problems.push({ line, problem: 'no numeric level' });
      if (typeof fields['time'] !== 'number') problems.push({ line, problem: 'no time' });
      if (typeof fields['msg'] !== 'string') problems.push({ line, problem: 'no msg' });
    }
    for (const [name, value] of Object.entries(secrets)) {
      if (forms(value).some((form) => text.includes(form)))
        problems.push({ line, problem: `contains the ${name}` });
    }
  });
  return problems;
}
