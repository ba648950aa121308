/**
 * The JSON codec of models that `BaseModel.dumps`/`loads` call. `serialize.ts` installs it when
 * it is loaded: the model classes cannot import it, since the codec builds models of every class
 * (the import would be a cycle). `mod.ts` loads `serialize.ts`, so through the public entry point
 * the codec is always there.
 *
 * @module
 */

/** Saves a model to JSON text and loads one from it. */
export interface ModelCodec {
  /** JSON text of a model, in lmfit's `save_model` layout. */
  save(model: object): string;
  /** A new model from JSON text; `options` are `LoadModelOptions`. */
  load(json: string, options: object): object;
}

let installed: ModelCodec | null = null;

/** Installs the codec (called once by `serialize.ts`). */
export function installModelCodec(codec: ModelCodec): void {
  installed = codec;
}

/** The installed codec; an error saying what to import when there is none. */
export function modelCodec(): ModelCodec {
  if (!installed) {
    throw new Error(
      "Model.dumps/loads need lmfit-ts's JSON layer: import the library from mod.ts (or import lib/model/serialize.ts once)",
    );
  }
  return installed;
}
