/**
 * Every test that touches the GPU device, as one test module. `deno test` runs each module in
 * its own isolate of one process, and each isolate that calls `getGpu()` opens its own device;
 * several devices alive in one process made it abort at exit now and then (`corrupted size vs.
 * prev_size in fastbins`). Gathered here, the suite opens one device per process.
 * The files imported are not `_test.ts` files, so `deno test tests/` does not also run them alone.
 */
import "./gpu/_wgsl_codegen.ts";
import "./gpu/_fit_gpu.ts";
import "./batch/_fit_batch.ts";
import "./batch/_lmfit_reference.ts";
import "./gpu/_batch_pipeline.ts";
import "./gpu/_batch_route.ts";
import "./model/_js_function_gpu.ts";
import "./gpu/_kernel_layout.ts";
import "./gpu/_loop_limit.ts";
import "./gpu/_large_loop_limit.ts";
import "./gpu/_batch_output.ts";
