// Umbrella header of SmartREST 1.0.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SMARTREST_HPP
#define RTNOTIFY_SMARTREST_HPP

/// SmartREST 1.0: the CSV dialect, messages, templates and rendering.

#include <rtnotify/smartrest/decode.hpp>
#include <rtnotify/smartrest/diagnostic.hpp>
#include <rtnotify/smartrest/document.hpp>
#include <rtnotify/smartrest/encode.hpp>
#include <rtnotify/smartrest/error.hpp>
#include <rtnotify/smartrest/fill.hpp>
#include <rtnotify/smartrest/json_path.hpp>
#include <rtnotify/smartrest/message.hpp>
#include <rtnotify/smartrest/reader.hpp>
#include <rtnotify/smartrest/registry.hpp>
#include <rtnotify/smartrest/render.hpp>
#include <rtnotify/smartrest/response.hpp>
#include <rtnotify/smartrest/template.hpp>

#endif
