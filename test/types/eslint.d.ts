/** The part of ESLint 8's flat-config API the lint-boundary test uses (the package ships no types for it). */
declare module 'eslint/use-at-your-own-risk' {
  export type LintMessage = { ruleId: string | null; message: string; line: number };
  export class FlatESLint {
    public constructor(options: { cwd: string });
    public lintText(code: string, options: { filePath: string }): Promise<Array<{ messages: LintMessage[] }>>;
  }
}
