/** Where the bundle builder reports its long steps (download, extract, strip), one line each. */
export type Progress = (line: string) => void;
