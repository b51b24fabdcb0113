// rtnotify/detail/config.hpp: the switch between header-only use and separate compilation.
// SPDX-License-Identifier: BSL-1.0
//
// Header-only (the default): every header brings its definitions, and
// RTNOTIFY_DECL makes the out-of-line ones `inline`.
//
// Separate compilation: define RTNOTIFY_SEPARATE_COMPILATION in every
// translation unit and include <rtnotify/src.hpp> in exactly one of them. The
// heavy definitions (the Beast server and client, the SmartREST grammar) are
// then compiled there once, and the other units see declarations only.
#ifndef RTNOTIFY_DETAIL_CONFIG_HPP
#define RTNOTIFY_DETAIL_CONFIG_HPP

#if defined(RTNOTIFY_SEPARATE_COMPILATION)
#define RTNOTIFY_HEADER_ONLY 0
#define RTNOTIFY_DECL
#else
#define RTNOTIFY_HEADER_ONLY 1
#define RTNOTIFY_DECL inline
#endif

#endif
