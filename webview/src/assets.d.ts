/** esbuild's `dataurl` loader: the file as a data: URL string. */
declare module '*.ttf' {
  const url: string;
  export default url;
}
