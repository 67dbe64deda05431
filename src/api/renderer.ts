// The document renderer, loaded on the first document a route serves:
// Handlebars and the templates cost a server start about half a second.
// (Its errors are in ../render/errors.js, which the routes import eagerly.)
export const renderer = (): Promise<typeof import('../render/index.js')> => import('../render/index.js');
