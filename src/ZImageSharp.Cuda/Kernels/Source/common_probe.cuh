// Used by probe.cu only: proves in-memory headers reach NVRTC.
#pragma once
__device__ __forceinline__ float probe_value(int i) { return 0.5f * (float)i; }
