import { namespace } from "../namespace";

export const office = namespace({}, {});
