// src/rtnotify.cpp: the one source file of rtnotify::compiled (separate compilation, docs/vendoring.md).
#include <rtnotify/src.hpp>
