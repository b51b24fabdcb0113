// Why a Kuzzle API request failed, in Kuzzle's terms, and what an action answers: a result or a failure.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_API_FAILURE_HPP
#define RTNOTIFY_ROOMS_API_FAILURE_HPP

#include <boost/json/value.hpp>

#include <string>
#include <utility>
#include <variant>

namespace rtnotify::rooms {

/// A failed request: the HTTP status, Kuzzle's error id (`api.assert.missing_argument`) and a sentence.
struct api_failure
{
    int status = 400;
    std::string id;
    std::string message;
};

/// What an API action answers: the response's `result`, or why it failed.
using api_outcome = std::variant<boost::json::value, api_failure>;

/// An `api_failure` from its parts.
inline api_failure fail(int status, std::string id, std::string message)
{
    return {status, std::move(id), std::move(message)};
}

} // namespace rtnotify::rooms

#endif
