export { encodeNpy, decodeNpy, npyToMatrix, type NpyArray } from './npy.js';
export { toJsonText, parseJson, readJsonFile, writeJsonFile } from './json.js';
