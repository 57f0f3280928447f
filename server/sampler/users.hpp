#pragma once
#include <cstdint>
#include <string>

namespace procpulse::sampler {

/** The login name of a uid from the system's user database; empty when unknown. */
std::string system_user_name(std::uint32_t uid);

} // namespace procpulse::sampler
