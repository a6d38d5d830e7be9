__version__ = "0.0.1"

import warnings as _warnings
# fastai compiles a few of its layers with `torch.jit.script` when it is imported, which current PyTorch deprecates with a
# FutureWarning: not ours to act on, and it put the build machine's paths into every notebook and page that imports fastai.
_warnings.filterwarnings('ignore', message=r'`torch\.jit\.script` is deprecated', category=FutureWarning)
