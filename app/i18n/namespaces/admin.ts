import { namespace } from "../namespace";

export const admin = namespace({}, {});
