# Every group and dataset of HDF5 files as h5py (Debian's python3-h5py) sees them: path, kind, dtype
# (text as "str"), shape, compression and values, one JSON object per file (for test/interop).
import h5py, json, sys

def listing(path):
    out = {}
    def visit(name, obj):
        if isinstance(obj, h5py.Group):
            out[name] = {"kind": "group"}
            return
        text = h5py.check_string_dtype(obj.dtype) is not None
        value = obj[()]
        if text:
            value = value.decode() if isinstance(value, bytes) else [[v.decode() for v in row] for row in value.tolist()] if getattr(value, "ndim", 0) == 2 else [v.decode() for v in value.tolist()]
        else:
            value = value.tolist()
        out[name] = {"kind": "dataset", "dtype": "str" if text else str(obj.dtype), "shape": list(obj.shape), "compression": obj.compression, "value": value}
    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out

print(json.dumps({p: listing(p) for p in sys.argv[1:]}))
