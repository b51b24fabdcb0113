// The map key of one index and collection, shared by the rooms and the document store.
// SPDX-License-Identifier: BSL-1.0
#ifndef RTNOTIFY_ROOMS_DETAIL_COLLECTION_KEY_HPP
#define RTNOTIFY_ROOMS_DETAIL_COLLECTION_KEY_HPP

#include <string>
#include <string_view>

namespace rtnotify::rooms::detail {

/// `index` and `collection` joined by a NUL, which neither may hold: one key per pair.
inline std::string collection_key(std::string_view index, std::string_view collection)
{
    std::string k(index);
    k.push_back('\0');
    k.append(collection);
    return k;
}

} // namespace rtnotify::rooms::detail

#endif
