"""Chapter 1's live sliders in a real Jupyter kernel, driven the way JupyterLab drives them.

The test starts a kernel, runs the chapter's slider cell, then sends the momentum slider a comm
``update`` (what the browser sends when a reader drags it) and waits for the new figure.
"""

import queue
import time

import pytest
from jupyter_client.manager import start_new_kernel

SLIDER_CELL = """
from helpers.ch01_regression_argmax import TrainConfig
from helpers.ch01_regression_argmax.sliders import live_render, slider_axes
from helpers.sliders import live_sliders
config = TrainConfig()
live_sliders(slider_axes(config), live_render(config))
"""


@pytest.fixture
def kernel():
    manager, client = start_new_kernel(kernel_name="python3")
    yield client
    client.stop_channels()
    manager.shutdown_kernel(now=True)


def collect(client, state, images, until_images, timeout=60):
    """Read iopub until ``until_images`` figures have been displayed (or the timeout).

    Any error the kernel reports, in the cell or in a slider callback, fails the test.
    """
    deadline = time.time() + timeout
    while len(images) < until_images and time.time() < deadline:
        try:
            message = client.get_iopub_msg(timeout=0.5)
        except queue.Empty:
            continue
        content = message["content"]
        if message["msg_type"] == "comm_open":
            state[content["comm_id"]] = content["data"]["state"]
        elif message["msg_type"] == "display_data" and "image/png" in content["data"]:
            images.append(content["data"]["image/png"])
        elif message["msg_type"] == "error":
            pytest.fail(f"the kernel raised {content['ename']}: {content['evalue']}")


def test_moving_the_momentum_slider_redraws_the_figure(kernel):
    state, images = {}, []
    kernel.execute(SLIDER_CELL)
    collect(kernel, state, images, until_images=1)
    collect(kernel, state, images, until_images=2, timeout=3)  # nothing else may be shown
    sliders = {
        s["description"]: comm_id
        for comm_id, s in state.items()
        if s.get("_model_name") in ("FloatLogSliderModel", "FloatSliderModel")
    }
    assert set(sliders) == {"learning rate", "momentum"} and len(images) == 1

    kernel.session.send(
        kernel.shell_channel.socket,
        "comm_msg",
        {
            "comm_id": sliders["momentum"],
            "data": {"method": "update", "state": {"value": 0.0}, "buffer_paths": []},
        },
    )
    collect(kernel, state, images, until_images=2)
    assert len(images) == 2 and images[1] != images[0]
