// Types for chromium.mjs (plain JavaScript so that web-test-runner.config.mjs can import it).
export declare const SYSTEM_CHROMIUM: string;
export declare const CHROMIUM_FLAGS: string[];
export declare function chromiumExecutable(env?: NodeJS.ProcessEnv, systemPath?: string): Promise<string>;
