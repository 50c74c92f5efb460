// jest runs the tests as CommonJS modules in node; these are the node globals they use.
declare const __dirname: string;
