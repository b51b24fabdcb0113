// Random Bayeux client ids.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_SESSION_DETAIL_CLIENT_ID_HPP
#define RTNOTIFY_SESSION_DETAIL_CLIENT_ID_HPP

#include <rtnotify/detail/random.hpp>

#include <string>

namespace rtnotify::session::detail {

/// A client id: 26 characters of `[0-9A-Za-z]`, about 154 random bits.
inline std::string random_client_id()
{
    return rtnotify::detail::random_id(26);
}

} // namespace rtnotify::session::detail

#endif
