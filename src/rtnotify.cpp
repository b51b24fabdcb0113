// src/rtnotify.cpp: the one source file of rtnotify::compiled (separate compilation, docs/vendoring.md).
// SPDX-License-Identifier: BSL-1.0
#include <rtnotify/src.hpp>
