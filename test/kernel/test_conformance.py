"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) for ConvNote.

Run by test/kernel/conformance.test.ts with JUPYTER_PATH pointing at a temporary
directory holding the `convnote` kernelspec. To add samples (e.g. %%net cells),
extend the lists below: each list is one family of checks in jupyter_kernel_test.
"""

import os
import unittest

import jupyter_kernel_test

DISPLAY = "convnote/dist/src/notebook-api/display.js"


class ConvNoteKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = os.environ.get("CONVNOTE_KERNEL_NAME", "convnote")

    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'

    completion_samples = [
        {"text": "Math.ab", "matches": {"abs"}},
        {"text": "const someLongName = 1; someLong", "matches": {"someLongName"}},
        # %%net cells: layer words, modifiers after '/'
        {"text": "%%net x\nINPUT 28x28 AVGPO", "matches": {"AVGPOOL2"}},
        {"text": "%%net x\nINPUT 28x28 CONV3-8/va", "matches": {"valid"}},
    ]

    complete_code_samples = ["1", 'console.log("hi")', "function f(x: number) {\n  return x;\n}", "let s = `a\n${1}`", "%%net a\nINPUT 28x28 CONV5-6 POOL2 FC-10"]
    incomplete_code_samples = ["function f() {", "let a = [1, 2,", "if (true) {\n  console.log(1)", "/* a comment", "%%net a\nINPUT 28x28 [CONV3-8", "%%net a\nINPUT 28x28 CONV3-8 ->"]
    invalid_code_samples = ["1 +* 2", "let = ;", ")", "%%net a\nINPUT 28x28 CONV3-8]", "%%net a\nINPUT 28x28 %"]

    code_generate_error = 'throw new Error("boom")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"con" + "vnote"', "result": "'convnote'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {
            "code": 'class Rich { [Symbol.for("jupyter.mimebundle")]() { return { "text/plain": "rich", "text/html": "<b>rich</b>" }; } }\nnew Rich()',
            "mime": "text/html",
            "result": "<b>rich</b>",
        },
    ]

    code_display_data = [
        {"code": f'import {{ display }} from "{DISPLAY}";\ndisplay({{ "text/plain": "hi", "text/html": "<i>hi</i>" }})', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>tslab</b>")', "mime": "text/html"},
    ]

    code_history_pattern = "6*7"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = f'import {{ clearOutput }} from "{DISPLAY}";\nclearOutput()'

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The first cell announces the TensorFlow.js backend (an extra stream output)
        # and builds the compiler; run it here so every test sees a settled kernel.
        cls.kc.execute_interactive("0", timeout=180, output_hook=lambda msg: None)

    def test_inspect_net_cell(self):
        """Shift-Tab on a layer of a %%net cell: its reference text and its computed output shape."""
        self.flush_channels()
        code = "%%net a\nINPUT 28x28 CONV5-6 POOL2"
        msg_id = self.kc.inspect(code, code.index("CONV") + 2)
        reply = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
        jupyter_kernel_test.validate_message(reply, "inspect_reply", msg_id)
        self.assertEqual(reply["content"]["status"], "ok")
        self.assertTrue(reply["content"]["found"])
        text = reply["content"]["data"]["text/plain"]
        self.assertIn("Convolution", text)
        self.assertIn("28x28x6", text)

    def test_execute_net_cell(self):
        """A %%net cell's result is the shape table (HTML) with the parameters written out."""
        self.flush_channels()
        reply, output_msgs = self.execute_helper(code="%%net lenet\nINPUT 28x28 CONV5-6 POOL2 FC-10 SOFTMAX")
        self.assertEqual(reply["content"]["status"], "ok")
        results = [m for m in output_msgs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1)
        self.assertIn("(5*5*1)*6 + 6 = 156", results[0]["content"]["data"]["text/html"])

    def test_comm_info(self):
        """tslab answered comm_info_request with the wrong reply type; this kernel must not."""
        self.flush_channels()
        msg_id = self.kc.comm_info()
        reply = self.get_non_kernel_info_reply(timeout=jupyter_kernel_test.TIMEOUT)
        jupyter_kernel_test.validate_message(reply, "comm_info_reply", msg_id)
        self.assertEqual(reply["content"], {"status": "ok", "comms": {}})

    def test_kernel_info_fields(self):
        self.flush_channels()
        msg_id = self.kc.kernel_info()
        reply = self.kc.get_shell_msg(timeout=jupyter_kernel_test.TIMEOUT)
        jupyter_kernel_test.validate_message(reply, "kernel_info_reply", msg_id)
        content = reply["content"]
        self.assertEqual(content["status"], "ok")
        self.assertEqual(content["protocol_version"], "5.3")
        self.assertEqual(content["implementation"], "convnote")
        self.assertEqual(content["language_info"]["mimetype"], "text/typescript")
        self.assertIn("codemirror_mode", content["language_info"])
        self.assertTrue(content["banner"])


if __name__ == "__main__":
    unittest.main()
