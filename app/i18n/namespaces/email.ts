import { namespace } from "../namespace";

export const email = namespace({}, {});
